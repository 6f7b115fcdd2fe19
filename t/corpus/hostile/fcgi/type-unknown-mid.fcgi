# Unknown types (0 and 255) in the middle of a request.
begin
record 0 1 4 4 abcd
params-std /health/live
record 255 1 0 0
params-end
stdin-end
