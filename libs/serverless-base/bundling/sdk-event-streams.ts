/**
 * Stands in for `@smithy/core/event-streams` in every bundle (an esbuild alias in the base config): no function
 * here calls an event-stream operation (S3 SelectObjectContent, Lambda InvokeWithResponseStream …), and the real
 * module is ~15 KiB of every bundle. A client that is built still gets a marshaller; using one fails loudly.
 */
const notBundled = (): never => {
  throw new Error('Event streams are not bundled: see libs/serverless-base/bundling/sdk-event-streams.ts');
};

export const eventStreamSerdeProvider = () => ({ serialize: notBundled, deserialize: notBundled });

export const resolveEventStreamSerdeConfig = <Input extends { eventStreamSerdeProvider: (input: Input) => unknown }>(input: Input) =>
  Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}
