import type { Locale } from "../config/runtime";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export type MessageKey = keyof typeof zhCN;
export type Catalog = Record<MessageKey, string>;

export const catalogs: Record<Locale, Catalog> = { "zh-CN": zhCN, en };
