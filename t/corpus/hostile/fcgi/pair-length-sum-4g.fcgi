# Two lengths of 2^31 - 1: their sum is 2^32 - 2.
begin
nvpair 2147483647 2147483647
params-end
stdin-end
