/**
 * The trunk kinds, one module each. A kind added to `Trunk` but not to `trunkKinds`, or lacking a
 * piece of `TrunkModule`, does not compile.
 */

import { flowroute, FlowrouteTrunk, FlowrouteTrunkSettings } from "./flowroute";
import { peers, PeersTrunk, PeersTrunkSettings } from "./peers";
import { registration, RegistrationTrunk, RegistrationTrunkSettings } from "./registration";
import type { TrunkModule } from "./trunkModule";
import { twilio, TwilioTrunk, TwilioTrunkSettings } from "./twilio";

export type { FlowrouteApiAccess, FlowrouteTrunk } from "./flowroute";
export type { PeersTrunk } from "./peers";
export type { RegistrationTrunk } from "./registration";
export type { TwilioApiAccess, TwilioTrunk } from "./twilio";
export type {
    NumberProvider,
    NumberTarget,
    PointingContext,
    ProviderPlace,
    TrunkModule,
    TrunkPjsip,
} from "./trunkModule";

export type Trunk = TwilioTrunk | FlowrouteTrunk | RegistrationTrunk | PeersTrunk;
/** A trunk as the stack or a PhoneSystem's args write it. */
export type TrunkSettings =
    TwilioTrunkSettings | FlowrouteTrunkSettings | RegistrationTrunkSettings | PeersTrunkSettings;
export type TrunkKind = Trunk["kind"];

export const trunkKinds: { [K in TrunkKind]: TrunkModule<Extract<Trunk, { kind: K }>> } = {
    twilio,
    flowroute,
    registration,
    peers,
};

/** The module of a trunk's kind. */
/** The trunk kinds, as a stack names them. */
export const trunkKindNames = Object.keys(trunkKinds) as TrunkKind[];

export function kindOf<T extends Trunk>(trunk: T): TrunkModule<T> {
    // TypeScript cannot correlate a union value with a mapped type's entry: the record above is what checks each pair.
    return trunkKinds[trunk.kind] as unknown as TrunkModule<T>;
}
