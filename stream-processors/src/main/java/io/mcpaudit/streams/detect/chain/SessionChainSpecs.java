package io.mcpaudit.streams.detect.chain;

import io.mcpaudit.streams.alert.DetectorSpec;

/** The rule files behind the chain-aware session detections. */
public record SessionChainSpecs(DetectorSpec missingApproval, DetectorSpec approvalMismatch,
                                DetectorSpec scopeOverreach, DetectorSpec injectionDrivenAction) {}
