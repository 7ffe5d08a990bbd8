// Vite's `?raw` imports: the file's text as a string (the report inlines its stylesheet).
declare module '*.css?raw' {
  const text: string;
  export default text;
}
