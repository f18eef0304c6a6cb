package io.mcpaudit.streams.sink.opensearch;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka record on its way into OpenSearch: where it came from (for offsets and dead letters)
 * and what to write. {@code document == null} with {@code delete} set removes a trace.
 *
 * @param create true for append-only data streams: an existing id means "already indexed"
 */
record IndexedDocument(TopicPartition source, long offset, byte[] key, byte[] value, String index, String id,
                       Map<String, Object> document, boolean create, boolean delete) {}
