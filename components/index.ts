// deskphone's public surface: the office model, its validation and the rendered Asterisk configuration.
export * from "./office/types";
export { ConfigProblem, OfficeConfigError, formatProblem } from "./office/errors";
export { validateOffice, RawOfficeConfig } from "./office/validate";
export { readStackFile } from "./office/stackFile";
export { loadStackOffice, loadPulumiOffice } from "./office/load";
export { renderConfigFiles, renderSecretFiles, resolveSecrets, secretSettings, RenderedFile, SecretValues } from "./render/render";
export { RenderOptions } from "./render/viewModel";
export { officeSummary } from "./render/summary";
