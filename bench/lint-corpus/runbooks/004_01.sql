-- migrate:up
-- Description of what this migration does

CREATE TABLE example (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(255) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- migrate:down
-- Rollback instructions

DROP TABLE IF EXISTS example;
