# Name and value lengths whose sum lies between 2^31 and 2^32.
begin
nvpair 1073741824 1073741824
params-end
stdin-end
