# Records with 255 bytes of padding each.
begin
record 4 1 - 255 \x0e\x03REQUEST_METHODGET\x0c\x0cDOCUMENT_URI/health/live\x0b\x0cREQUEST_URI/health/live
params-end
record 5 1 0 255
raw \*{255}{\0}
