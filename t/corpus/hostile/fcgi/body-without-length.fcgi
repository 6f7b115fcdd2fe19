# 100 KB of STDIN on a GET without CONTENT_LENGTH.
begin
params-std /health/live
params-end
stdin \*{60000}{B}
stdin \*{40000}{B}
stdin-end
