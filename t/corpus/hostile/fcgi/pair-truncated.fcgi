# A name-value pair whose length bytes are cut in the middle.
begin
record 4 1 - 0 \x85\x00
params-end
stdin-end
