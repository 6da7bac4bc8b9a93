import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { RuntimeConfigContext } from "./config/RuntimeConfigContext";
import { readRuntimeConfig } from "./config/runtime";
import { I18nProvider } from "./i18n/I18nProvider";
import "./styles.css";

const config = readRuntimeConfig();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <RuntimeConfigContext.Provider value={config}>
        <I18nProvider defaultLocale={config.defaultLocale}>
          <App />
        </I18nProvider>
      </RuntimeConfigContext.Provider>
    </StrictMode>,
  );
}
