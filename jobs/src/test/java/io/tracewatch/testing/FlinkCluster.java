package io.tracewatch.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Flink MiniCluster per test class, one TaskManager with the given slots: jobs a test builds
 * with {@code StreamExecutionEnvironment.getExecutionEnvironment()} run on it. Register it as
 * {@code @RegisterExtension static final FlinkCluster FLINK = new FlinkCluster(2);}. A test method
 * gets the cluster itself with a parameter {@code @InjectMiniCluster MiniCluster cluster}.
 */
public class FlinkCluster implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private final MiniClusterExtension flink;

    public FlinkCluster(int slots) {
        flink = new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(slots).build());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        flink.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        flink.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        flink.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        flink.afterAll(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return flink.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return flink.resolveParameter(parameter, context);
    }
}
