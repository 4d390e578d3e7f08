// Text from the API that marks names with backticks ("likely `default-deny` (rollout `x`)"):
// the marked parts render as code, the rest as text. Never HTML: the text is not trusted.
import { Fragment } from "react";

export function CodeText({ text }: { text: string }) {
  const parts = text.split("`");
  // An odd number of parts means every backtick was paired; otherwise show the text as it came.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}
