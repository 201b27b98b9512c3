/** What every queue the builders create has in common. */
'use strict';

const QUEUE = 'AWS::SQS::Queue';

// The longest SQS allows: whatever failed stays available for inspection and redrive for two weeks.
const FOURTEEN_DAYS = 1_209_600;

const arnOf = (logicalId) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** A queue that holds what failed for good; the alarms plugin watches every one of them. */
function failureQueue(queueName) {
  return { Type: QUEUE, Properties: { QueueName: queueName, MessageRetentionPeriod: FOURTEEN_DAYS } };
}

/** `OrderEvents` → `order-events`, for physical names. */
const kebabCase = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

module.exports = { QUEUE, arnOf, failureQueue, kebabCase };
