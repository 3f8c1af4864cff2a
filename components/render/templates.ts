/** The ejs templates in templates/: one per file deskphone writes or hands to a person, each compiled once. */
import * as ejs from "ejs";
import * as fs from "fs";
import * as path from "path";

export const templatesDir = path.join(__dirname, "..", "..", "templates");

const compiled = new Map<string, ejs.TemplateFunction>();

/** The text of templates/<name>.ejs for a view model. */
export function renderTemplate(name: string, view: object): string {
    const file = path.join(templatesDir, `${name}.ejs`);
    let template = compiled.get(file);
    if (!template) {
        // cache: the partials it includes are compiled once too.
        template = ejs.compile(fs.readFileSync(file, "utf8"), { filename: file, cache: true });
        compiled.set(file, template);
    }
    return template(view);
}

/** The same, with the runs of blank lines that loops and conditionals leave collapsed: a config file that reads as hand-written. */
export function renderConfigTemplate(name: string, view: object): string {
    return renderTemplate(name, view).replace(/\n{3,}/g, "\n\n");
}
