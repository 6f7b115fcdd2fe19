# An HTTP request sent to the FastCGI socket.
raw GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n
