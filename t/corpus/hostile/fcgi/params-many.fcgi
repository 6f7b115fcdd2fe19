# 5000 tiny parameters (about 30 KB): within the 64 KiB bound.
begin
params-std /health/live
params-many 5000
params-end
stdin-end
