# NULs and invalid UTF-8 in the URI and the query.
begin
params-std /api/me\0trics\xff\xfe?range=\xc3\x28%00&format=\xff
params-end
stdin-end
