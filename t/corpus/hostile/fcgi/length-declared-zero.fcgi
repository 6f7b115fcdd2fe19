# A PARAMS record that declares 0 bytes but carries twenty.
begin
record 4 1 0 0 \x04\x03HOST\x61\x62\x63REQUEST_METHOD
params-std /health/live
params-end
stdin-end
