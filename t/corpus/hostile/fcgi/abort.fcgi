# An ABORT_REQUEST right after BEGIN_REQUEST.
begin
record 2 1 0 0
params-std /health/live
params-end
stdin-end
