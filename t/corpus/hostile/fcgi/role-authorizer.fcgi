# The AUTHORIZER role.
begin 2
params-std /health/live
params-end
stdin-end
