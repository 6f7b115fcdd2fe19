# A name length of 2^31 - 1 (libfcgi would allocate it).
begin
nvpair 2147483647 1
params-end
stdin-end
