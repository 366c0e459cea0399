DROP TABLE parking_sessions;
