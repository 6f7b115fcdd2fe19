# A record of an unknown type (99) before the request.
record 99 0 8 0 ABCDEFGH
begin
params-std /health/live
params-end
stdin-end
