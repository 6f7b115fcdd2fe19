# A connection that sends nothing and closes.
