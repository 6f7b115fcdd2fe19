# A PARAMS record that declares 65535 bytes and sends ten.
begin
record 4 1 65535 0 0123456789
