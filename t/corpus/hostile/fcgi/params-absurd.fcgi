# An absurd history query, and a 10^18 CONTENT_LENGTH.
begin
params-std /api/history?range=99999999999h&step=0&from=-1
params CONTENT_LENGTH=999999999999999999
params-end
stdin-end
