# An empty method and a 3 KB one.
begin
params-std /health/live
params REQUEST_METHOD=\*{3000}{X}
params-end
stdin-end
