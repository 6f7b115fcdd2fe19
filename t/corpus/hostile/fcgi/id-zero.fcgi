# A request on id 0 (the management id).
begin 1 0
params-std /health/live
params-end
stdin-end
