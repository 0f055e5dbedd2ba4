/** A lesson as the shell sees it: content lives in lessons/, the shell only renders it. */
export interface Lesson {
  /** Route id: the lesson lives at #/<id>. */
  id: string;
  title: string;
  /** One line for the start page and the navigation. */
  summary: string;
  /** Markdown; interactive cells are custom elements written inline, e.g. <dataset-explorer></dataset-explorer>. */
  body: string;
}

export interface Course {
  title: string;
  /** Markdown of the start page (#/). */
  intro: string;
  lessons: Lesson[];
}
