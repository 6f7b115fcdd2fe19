# A management GET_VALUES record asking for the limits, then a request.
record 9 0 - 0 \x0e\x00FCGI_MAX_CONNS\x0d\x00FCGI_MAX_REQS\x0f\x00FCGI_MPXS_CONNS
begin
params-std /health/live
params-end
stdin-end
