-- The pre-release deskwire database layout (schema "version 0"): what
-- early builds wrote before PRAGMA user_version was used.  The store
-- migration test loads this and opens it with the current store.
CREATE TABLE feeds(
	url TEXT PRIMARY KEY,
	title TEXT,
	etag TEXT,
	last_modified TEXT,
	last_fetch INTEGER,
	error TEXT
);
CREATE TABLE items(
	feed_url TEXT NOT NULL,
	guid TEXT,
	title TEXT,
	link TEXT,
	summary TEXT,
	published INTEGER,
	fetched INTEGER,
	is_read INTEGER DEFAULT 0,
	starred INTEGER DEFAULT 0,
	tickers TEXT,
	impact REAL,
	PRIMARY KEY(feed_url, guid)
);
INSERT INTO feeds VALUES('https://wire.example.com/markets.rss', 'Example Wire',
	'"5f2a-9c"', 'Thu, 26 Nov 2026 11:40:00 GMT', 1795693200, NULL);
INSERT INTO feeds VALUES('https://news.example.org/feed', 'Example News',
	NULL, NULL, 1795693100, 'HTTP 503 Service Unavailable');
INSERT INTO items VALUES('https://wire.example.com/markets.rss', 'wire-1001',
	'Amazon commits up to $25bn investment in Anthropic',
	'https://wire.example.com/2026/11/26/amazon-anthropic?utm_source=rss',
	'Amazon will invest $5bn in Anthropic, with up to another $20bn tied to milestones.',
	1795692127, 1795692200, 1, 0, 'AMZN', 0.56);
INSERT INTO items VALUES('https://wire.example.com/markets.rss', 'wire-1002',
	'Nvidia shares slip as export curbs widen',
	'https://wire.example.com/2026/11/26/nvidia-export-curbs',
	'Chipmaker falls 3% in early trade after new licensing rules.',
	1795690000, 1795690100, 0, 1, 'NVDA', 0.48);
INSERT INTO items VALUES('https://news.example.org/feed', 'tag:news.example.org,2026:77',
	'Amazon commits up to $25bn investment in Anthropic',
	'https://news.example.org/tech/amazon-anthropic-deal',
	'The deal deepens an AI infrastructure partnership.',
	1795692500, 1795692600, 0, 0, 'AMZN', 0.50);
INSERT INTO items VALUES('https://news.example.org/feed', NULL,
	'Oil steadies after OPEC+ keeps output unchanged',
	'https://news.example.org/energy/oil-opec',
	NULL, NULL, 1795680000, 0, 0, NULL, NULL);
