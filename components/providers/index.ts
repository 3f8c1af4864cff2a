/** deskphone's number providers: Twilio Elastic SIP Trunking and numbers, Flowroute numbers. */
export type { NumberAcquisition, NumberProviderName, E911Address, FailoverRoute } from "./numberSettings";
export {
    checkNumberAcquisition,
    checkE911Address,
    describeE911Address,
    deskphoneTag,
    normalizeE164,
} from "./numberSettings";
export type { TwilioTrunkArgs } from "./twilioTrunk";
export { TwilioTrunk, twilioTrunkProvider } from "./twilioTrunk";
export type { TwilioNumberArgs } from "./twilioNumber";
export { TwilioNumber, twilioNumberProvider } from "./twilioNumber";
export type { FlowrouteNumberArgs } from "./flowrouteNumber";
export { FlowrouteNumber, flowrouteNumberProvider } from "./flowrouteNumber";
export type { TwilioCredentials, TwilioConnection } from "./twilioClient";
export { TwilioClient, twilioApiUrlVariable } from "./twilioClient";
export type { FlowrouteCredentials, FlowrouteConnection } from "./flowrouteClient";
export { FlowrouteClient, flowrouteApiUrlVariable } from "./flowrouteClient";
export type { RetryPolicy, ProviderError } from "./retry";
export { defaultRetryPolicy, isProviderError } from "./retry";
