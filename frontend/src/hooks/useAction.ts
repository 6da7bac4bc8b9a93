import { App } from "antd";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { AnyVariables } from "urql";
import { useMutation } from "urql";
import { useErrorText } from "../components/PageState";
import { useI18n } from "../i18n/I18nProvider";

/**
 * A mutation with the console's feedback: a success toast, or the API's error in words
 * (with its stable code behind it). Resolves to the data, or null when it failed.
 */
export function useAction<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>) {
  const [state, execute] = useMutation<Data, Variables>(document);
  const { message } = App.useApp();
  const { t } = useI18n();
  const errorText = useErrorText();
  const run = async (variables: Variables, successText: string = t("common.saved")): Promise<Data | null> => {
    const result = await execute(variables);
    if (result.error) {
      void message.error(errorText(result.error));
      return null;
    }
    void message.success(successText);
    return result.data ?? null;
  };
  return { run, busy: state.fetching };
}
