-- A deskwire database at schema version 1, as the store of that version
-- wrote it: two feeds, a story reported by both, read, starred and note
-- state, tickers and categories, a watchlist.  The store migration test
-- loads this and opens it with the current store.
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE feeds( id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, name TEXT, etag TEXT, last_modified TEXT, last_attempt INTEGER NOT NULL DEFAULT 0, last_success INTEGER NOT NULL DEFAULT 0, next_due INTEGER NOT NULL DEFAULT 0, http_status INTEGER NOT NULL DEFAULT 0, last_error TEXT, failures INTEGER NOT NULL DEFAULT 0, items_seen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE stories( id INTEGER PRIMARY KEY, published INTEGER NOT NULL, n_sources INTEGER NOT NULL DEFAULT 1);
CREATE TABLE items( id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE, guid TEXT NOT NULL, hash INTEGER NOT NULL, link TEXT, title TEXT, summary TEXT, content TEXT, author TEXT, tags TEXT, published INTEGER NOT NULL, published_guessed INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL, updated INTEGER NOT NULL DEFAULT 0, is_update INTEGER NOT NULL DEFAULT 0, story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL, link_hash INTEGER, title_hash INTEGER, source_weight REAL NOT NULL DEFAULT 0.5, read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0, note TEXT, ann_valid INTEGER NOT NULL DEFAULT 0, ann_version INTEGER NOT NULL DEFAULT 0, impact REAL NOT NULL DEFAULT 0, sentiment REAL NOT NULL DEFAULT 0, sentiment_label INTEGER NOT NULL DEFAULT 0, event TEXT, entities TEXT, parts TEXT, categories TEXT, analysis TEXT);
CREATE UNIQUE INDEX items_feed_guid ON items(feed_id, guid);
CREATE INDEX items_published ON items(published, id, impact, title_hash, story_id);
CREATE INDEX items_story ON items(story_id);
CREATE INDEX items_unread ON items(published) WHERE read=0;
CREATE INDEX items_starred ON items(starred) WHERE starred;
CREATE INDEX items_version ON items(ann_version, id);
CREATE INDEX items_link_hash ON items(link_hash) WHERE link_hash IS NOT NULL;
CREATE TABLE item_tickers( ticker TEXT NOT NULL, published INTEGER NOT NULL, item_id INTEGER NOT NULL, role INTEGER NOT NULL, impact REAL NOT NULL, sentiment REAL NOT NULL, PRIMARY KEY(ticker, published, item_id)) WITHOUT ROWID;
CREATE INDEX item_tickers_published ON item_tickers(published, ticker, impact, sentiment);
CREATE TABLE item_categories( category TEXT NOT NULL COLLATE NOCASE, published INTEGER NOT NULL, item_id INTEGER NOT NULL, PRIMARY KEY(category, published, item_id)) WITHOUT ROWID;
CREATE TABLE watchlist( ticker TEXT PRIMARY KEY, pos INTEGER NOT NULL);
CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN INSERT INTO items_fts(items_fts, rowid, title, summary)  VALUES('delete', old.id, old.title, old.summary); END;
INSERT INTO feeds VALUES(1,'https://wire.example.com/markets.rss','Example Wire',NULL,NULL,1795693200,1795693200,0,200,NULL,0,0);
INSERT INTO feeds VALUES(2,'https://news.example.org/feed','Example News',NULL,NULL,1795693200,1795693200,0,200,NULL,0,0);
INSERT INTO stories VALUES(1,1795690000,2);
INSERT INTO stories VALUES(2,1795691000,1);
INSERT INTO stories VALUES(3,1795692000,1);
INSERT INTO items VALUES(1,1,'wire-2001',-5369889981978230037,'https://wire.example.com/2026/11/26/amazon-anthropic','Amazon commits up to $25bn investment in Anthropic','The cloud provider deepens its AI partnership.',NULL,NULL,NULL,1795690000,0,1795707397,0,0,1,-8527978176611625904,8252357893165707956,0.5,0,0,NULL,1,3,0.56000000000000005329,0.29999999999999998889,1,'investment',replace('0	AMZN	AMZN\n','\n',char(10)),replace('event	0.4\n','\n',char(10)),replace('Artificial Intelligence\nPrivate Markets & Venture','\n',char(10)),'Capacity commitments shift bargaining power.');
INSERT INTO items VALUES(2,2,'tag:news.example.org,2026:88',8497668228351872291,'https://news.example.org/amazon-anthropic-deal','Amazon commits up to $25bn investment in Anthropic','Anthropic gets more compute from AWS.',NULL,NULL,NULL,1795690600,0,1795707397,0,0,1,-2783035078002606071,8252357893165707956,0.5,0,0,NULL,1,3,0.52000000000000001776,0.25,1,'investment',replace('0	AMZN	AMZN\n1	GOOGL	GOOGL\n','\n',char(10)),replace('event	0.4\n','\n',char(10)),replace('Artificial Intelligence\nTechnology & Innovation','\n',char(10)),'Capacity commitments shift bargaining power.');
INSERT INTO items VALUES(3,1,'wire-2002',5606504851875027612,'https://wire.example.com/2026/11/26/nvidia-export-curbs','Nvidia shares slip as export curbs widen','Chipmaker falls 3% in early trade after new licensing rules.',NULL,NULL,NULL,1795691000,0,1795707397,0,0,2,-49629594672762521,-3610925684560469670,0.5,1,0,NULL,1,3,0.60999999999999998667,-0.4000000000000000222,-1,'investment',replace('0	NVDA	NVDA\n','\n',char(10)),replace('event	0.4\n','\n',char(10)),'Trade & Tariffs','Capacity commitments shift bargaining power.');
INSERT INTO items VALUES(4,2,'tag:news.example.org,2026:89',-687434459854630503,'https://news.example.org/fed-holds','Fed holds rates steady and signals patience on cuts','Policymakers left the benchmark range unchanged.',NULL,NULL,NULL,1795692000,0,1795707397,0,0,3,7425691552115943051,-5824355057539263720,0.5,0,1,'check the dot plot',1,3,0.46999999999999997335,0.0,0,'investment','',replace('event	0.4\n','\n',char(10)),'Monetary Policy','Capacity commitments shift bargaining power.');
INSERT INTO item_tickers VALUES('AMZN',1795690000,1,0,0.56000000000000005329,0.29999999999999998889);
INSERT INTO item_tickers VALUES('AMZN',1795690600,2,0,0.52000000000000001776,0.25);
INSERT INTO item_tickers VALUES('GOOGL',1795690600,2,1,0.52000000000000001776,0.25);
INSERT INTO item_tickers VALUES('NVDA',1795691000,3,0,0.60999999999999998667,-0.4000000000000000222);
INSERT INTO item_categories VALUES('Artificial Intelligence',1795690000,1);
INSERT INTO item_categories VALUES('Artificial Intelligence',1795690600,2);
INSERT INTO item_categories VALUES('Monetary Policy',1795692000,4);
INSERT INTO item_categories VALUES('Private Markets & Venture',1795690000,1);
INSERT INTO item_categories VALUES('Technology & Innovation',1795690600,2);
INSERT INTO item_categories VALUES('Trade & Tariffs',1795691000,3);
INSERT INTO watchlist VALUES('NVDA',1);
INSERT INTO items_fts(items_fts) VALUES('rebuild');
PRAGMA user_version = 1;
