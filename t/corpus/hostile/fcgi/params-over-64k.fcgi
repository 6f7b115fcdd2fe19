# 80 KB of parameters: over the 64 KiB bound.
begin
params-std /health/live
params-big 80000
params-end
stdin-end
