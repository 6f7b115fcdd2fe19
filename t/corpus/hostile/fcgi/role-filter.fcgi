# The FILTER role.
begin 3
params-std /health/live
params-end
stdin-end
