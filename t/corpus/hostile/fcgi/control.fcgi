# A well-formed request, as nginx sends it: the control.
begin
params-std /health/live
params-end
stdin-end
