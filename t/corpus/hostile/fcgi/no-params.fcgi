# A request without a single parameter.
begin
params-end
stdin-end
