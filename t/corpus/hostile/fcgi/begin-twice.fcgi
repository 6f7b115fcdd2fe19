# A second BEGIN_REQUEST in the middle of the first request.
begin
params-std /health/live
begin
params-end
stdin-end
