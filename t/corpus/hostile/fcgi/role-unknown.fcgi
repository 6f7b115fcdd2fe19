# An unknown role.
begin 77
params-std /health/live
params-end
stdin-end
