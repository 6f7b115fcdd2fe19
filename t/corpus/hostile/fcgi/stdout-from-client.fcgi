# Records only a server sends (STDOUT, END_REQUEST) coming from the client.
begin
record 6 1 - 0 Status: 500\r\n\r\n
record 3 1 8 0 \x00\x00\x00\x00\x00\x00\x00\x00
params-std /health/live
params-end
stdin-end
