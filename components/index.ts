// deskphone's public surface: the PhoneSystem component and the servers it composes, the office
// model (as a stack writes it, and validated), its rendered Asterisk configuration, the cost
// estimate, the SPA3102's records, the trunk kinds and countries, and the number providers.
export * from "./office/types";
export * from "./office/settings";
export { ConfigProblem, OfficeConfigError, formatProblem } from "./office/errors";
export { validateOffice, RawOfficeConfig } from "./office/validate";
export { countries, countryCodes, Country, CountryCode } from "./office/countries";
export { trunkKinds, kindOf, TrunkModule, TrunkSettings } from "./trunks";
export { readStackFile } from "./office/stackFile";
export { loadStackOffice, loadPulumiOffice } from "./office/load";
export { numbersToBuy, withNumbers, standInNumbers, numberLabel } from "./office/numbers";
export { renderConfigFiles, renderSecretFiles, resolveSecrets, RenderedFile, SecretValues } from "./render/render";
export { RenderOptions } from "./render/viewModel";
export { officeSummary } from "./render/summary";
export { PhoneSystem, PhoneSystemArgs, ValidatedOfficeArgs, PhoneSetup, MailboxSetup } from "./phoneSystem";
export { DropletServer, DropletServerArgs } from "./dropletServer";
export { ExistingServer, ExistingServerArgs } from "./existingServer";
export { AsteriskConfig, AsteriskConfigArgs, ConfigFileArgs } from "./asteriskConfig";
export { AsteriskHost } from "./asteriskHost";
export { estimateMonthlyCost, CostEstimate, CostLine } from "./costEstimate";
export { deskphoneProgram } from "./program";
export {
    spa3102Records,
    spa3102Documents,
    spa3102Outputs,
    Spa3102Records,
    Spa3102RecordsOptions,
    Spa3102Document,
} from "./spa3102";
export * as providers from "./providers";
