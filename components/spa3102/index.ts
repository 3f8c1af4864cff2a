// The SPA3102 adapter: its settings as one list, and the two records rendered from it.
export { spa3102Parameters, spa3102Parameter, spa3102Tabs, Spa3102Parameter, Spa3102Tab } from "./parameters";
export { spa3102Settings, Spa3102Setting, Spa3102SettingsOptions } from "./settings";
export {
    spa3102Records,
    spa3102Documents,
    spa3102Outputs,
    Spa3102Records,
    Spa3102RecordsOptions,
    Spa3102Document,
} from "./records";
