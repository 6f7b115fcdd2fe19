# 4 KB of bytes that are no records at all.
raw \*{512}{\xde\xad\xbe\xef\x00\x01\xff\x7f}
