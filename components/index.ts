// deskphone's public surface: the office model, its validation and the rendered Asterisk configuration.
export * from "./office/types";
export { ConfigProblem, OfficeConfigError, formatProblem } from "./office/errors";
export { validateOffice, RawOfficeConfig } from "./office/validate";
export { readStackFile } from "./office/stackFile";
export { loadStackOffice, loadPulumiOffice } from "./office/load";
export { renderConfigFiles, renderSecretFiles, resolveSecrets, secretSettings, RenderedFile, SecretValues } from "./render/render";
export { RenderOptions } from "./render/viewModel";
export { officeSummary } from "./render/summary";
export { PhoneSystem, PhoneSystemArgs, PhoneSetup } from "./phoneSystem";
export { DropletServer, DropletServerArgs } from "./dropletServer";
export { ExistingServer, ExistingServerArgs } from "./existingServer";
export { AsteriskConfig, AsteriskConfigArgs, ConfigFileArgs } from "./asteriskConfig";
export { AsteriskHost } from "./asteriskHost";
export { GeneratedSecret, GeneratedSecretArgs } from "./generatedSecret";
export { estimateMonthlyCost, CostEstimate, CostLine } from "./costEstimate";
export { deskphoneProgram } from "./program";
export * from "./spa3102";
export * as providers from "./providers";
