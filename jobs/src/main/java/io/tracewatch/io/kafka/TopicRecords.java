package io.tracewatch.io.kafka;

import io.tracewatch.io.codec.DeadLetters;
import java.io.Serializable;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * A topic of small JSON records the live job reads beside the scans (case actions, verification
 * requests): from the group's committed offsets, else the earliest, so that a record is applied
 * once and on a restart the checkpoint decides. Each value is decoded where it is read; one that
 * is not a record becomes a dead letter naming its topic and offset.
 */
final class TopicRecords<T> implements KafkaRecordDeserializationSchema<T> {

    /** A record from its bytes, or one carrying the dead letter that says why it is not one. */
    interface Decoder<T> extends Serializable {
        T decode(byte[] value, DeadLetters.Origin origin);
    }

    private final Decoder<T> decoder;
    private final TypeInformation<T> type;

    private TopicRecords(Decoder<T> decoder, TypeInformation<T> type) {
        this.decoder = decoder;
        this.type = type;
    }

    static <T> DataStream<T> read(StreamExecutionEnvironment env, KafkaSettings settings, Properties client, String topic, String groupSuffix,
            Decoder<T> decoder, TypeInformation<T> type, String name, String uid) {
        KafkaSource<T> source = KafkaSource.<T>builder()
                .setProperties(client)
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(topic)
                .setGroupId(settings.groupId() + groupSuffix)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new TopicRecords<>(decoder, type))
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), name + " " + topic).uid(uid);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        out.collect(decoder.decode(value, new DeadLetters.Origin(record.topic(), record.offset(), record.partition())));
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
