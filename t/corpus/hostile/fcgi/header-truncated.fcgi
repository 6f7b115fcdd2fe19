# Three bytes of a record header, then the end.
raw \x01\x01\x00
