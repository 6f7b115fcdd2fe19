# STDIN before the parameters have ended.
begin
stdin hello
params-std /health/live
params-end
stdin-end
