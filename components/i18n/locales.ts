/**
 * Every string the widget shows, per locale. English is complete and the fallback; a locale may
 * leave keys out. `dir` says how the panel lays out.
 */
export interface Strings {
  dir: 'ltr' | 'rtl';
  openChat: string;
  closeChat: string;
  unread: (n: number) => string;
  panelLabel: string;
  signInTitle: string;
  username: string;
  password: string;
  signIn: string;
  signingIn: string;
  signInFailed: string;
  sessionExpired: string;
  signOut: string;
  messages: string;
  messageInput: string;
  send: string;
  /** Stop replaces Send while a bot reply in the open conversation is being written (its visible text). */
  stop: string;
  /** The Stop button's accessible name. */
  stopReply: string;
  /** The mark on a streamed reply that did not finish: shown in the bubble and said after it. */
  replyEnded: Record<'stopped' | 'failed', string>;
  attach: string;
  cancelUpload: (name: string) => string;
  uploading: (name: string) => string;
  uploadFailed: (name: string) => string;
  /** A seed backend answers every valid upload with a server error (PROTOCOL §6). */
  uploadUnsupported: (name: string) => string;
  uploadTooLarge: (name: string) => string;
  uploadWrongType: (name: string) => string;
  dropFiles: string;
  retry: string;
  retryLabel: string;
  failed: string;
  status: Record<'pending' | 'sent' | 'delivered' | 'read' | 'failed', string>;
  you: string;
  typing: (names: string[]) => string;
  connected: string;
  connecting: string;
  reconnecting: (seconds: number) => string;
  retryNow: string;
  offline: string;
  fallback: string;
  disconnected: string;
  prompts: string;
  conversations: string;
  newConversation: string;
  back: string;
  noConversations: string;
  untitled: string;
  copy: string;
  copied: string;
  download: (name: string) => string;
  newMessageFrom: (name: string, text: string) => string;
  attachment: string;
  loadingOlder: string;
  empty: string;
}

const en: Strings = {
  dir: 'ltr',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unread: (n) => `${n} unread`,
  panelLabel: 'Chat',
  signInTitle: 'Sign in to chat',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInFailed: 'Sign-in failed. Check your username and password.',
  sessionExpired: 'Your session has ended. Please sign in again.',
  signOut: 'Sign out',
  messages: 'Messages',
  messageInput: 'Message',
  send: 'Send',
  stop: 'Stop',
  stopReply: 'Stop the reply',
  replyEnded: { stopped: 'Stopped', failed: 'Reply failed' },
  attach: 'Attach a file',
  cancelUpload: (name) => `Cancel upload of ${name}`,
  uploading: (name) => `Uploading ${name}`,
  uploadFailed: (name) => `Could not upload ${name}`,
  uploadUnsupported: (name) => `Could not upload ${name}: this server does not accept files`,
  uploadTooLarge: (name) => `${name} is too large: the limit is 10 MB`,
  uploadWrongType: (name) => `${name} is not allowed: only images (JPEG, PNG, GIF, WebP) and PDF files`,
  dropFiles: 'Drop files to attach',
  retry: 'Retry',
  retryLabel: 'Retry sending this message',
  failed: 'Not sent',
  status: { pending: 'Sending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent' },
  you: 'You',
  typing: (names) =>
    names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`,
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: (s) => `Reconnecting in ${s} s`,
  retryNow: 'Retry now',
  offline: 'Offline: messages will be sent when you are back online',
  fallback: 'Connected over HTTP (slower updates)',
  disconnected: 'Disconnected',
  prompts: 'Suggestions',
  conversations: 'Conversations',
  newConversation: 'New conversation',
  back: 'Back to chat',
  noConversations: 'No earlier conversations',
  untitled: 'Conversation',
  copy: 'Copy',
  copied: 'Copied',
  download: (name) => `Download ${name}`,
  newMessageFrom: (name, text) => `${name}: ${text}`,
  attachment: 'Attachment',
  loadingOlder: 'Loading earlier messages…',
  empty: 'Ask us anything.',
};

const ar: Partial<Strings> = {
  dir: 'rtl',
  openChat: 'فتح المحادثة',
  closeChat: 'إغلاق المحادثة',
  unread: (n) => `${n} غير مقروءة`,
  panelLabel: 'المحادثة',
  signInTitle: 'سجّل الدخول للمحادثة',
  username: 'اسم المستخدم',
  password: 'كلمة المرور',
  signIn: 'تسجيل الدخول',
  signingIn: 'جارٍ تسجيل الدخول…',
  signInFailed: 'تعذّر تسجيل الدخول. تحقّق من اسم المستخدم وكلمة المرور.',
  sessionExpired: 'انتهت جلستك. يُرجى تسجيل الدخول مرة أخرى.',
  signOut: 'تسجيل الخروج',
  messages: 'الرسائل',
  messageInput: 'الرسالة',
  send: 'إرسال',
  stop: 'إيقاف',
  stopReply: 'إيقاف الرد',
  replyEnded: { stopped: 'أُوقف', failed: 'تعذّر إكمال الرد' },
  attach: 'إرفاق ملف',
  cancelUpload: (name) => `إلغاء رفع ${name}`,
  uploading: (name) => `جارٍ رفع ${name}`,
  uploadFailed: (name) => `تعذّر رفع ${name}`,
  uploadUnsupported: (name) => `تعذّر رفع ${name}: هذا الخادم لا يقبل الملفات`,
  uploadTooLarge: (name) => `${name} كبير جدًا: الحد 10 ميغابايت`,
  uploadWrongType: (name) => `${name} غير مسموح: الصور (JPEG وPNG وGIF وWebP) وملفات PDF فقط`,
  dropFiles: 'أفلت الملفات لإرفاقها',
  retry: 'إعادة المحاولة',
  retryLabel: 'إعادة إرسال هذه الرسالة',
  failed: 'لم تُرسل',
  status: { pending: 'جارٍ الإرسال', sent: 'أُرسلت', delivered: 'وصلت', read: 'قُرئت', failed: 'لم تُرسل' },
  you: 'أنت',
  typing: (names) => (names.length === 1 ? `${names[0]} يكتب…` : `${names.join('، ')} يكتبون…`),
  connected: 'متصل',
  connecting: 'جارٍ الاتصال…',
  reconnecting: (s) => `إعادة الاتصال خلال ${s} ث`,
  retryNow: 'أعد المحاولة الآن',
  offline: 'غير متصل: ستُرسل الرسائل عند عودة الاتصال',
  fallback: 'متصل عبر HTTP (تحديثات أبطأ)',
  disconnected: 'غير متصل',
  prompts: 'اقتراحات',
  conversations: 'المحادثات',
  newConversation: 'محادثة جديدة',
  back: 'العودة إلى المحادثة',
  noConversations: 'لا توجد محادثات سابقة',
  untitled: 'محادثة',
  copy: 'نسخ',
  copied: 'تم النسخ',
  download: (name) => `تنزيل ${name}`,
  attachment: 'مرفق',
  loadingOlder: 'جارٍ تحميل الرسائل السابقة…',
  empty: 'اسألنا أي شيء.',
};

const tables: Record<string, Partial<Strings>> = { en, ar };

/** Adds or extends a locale table (`registerLocale('fr', {...})`); missing keys fall back to English. */
export function registerLocale(lang: string, strings: Partial<Strings>): void {
  tables[lang.toLowerCase()] = { ...tables[lang.toLowerCase()], ...strings };
}

/** The strings for `lang` (`ar-EG` falls back to `ar`, anything unknown to English). */
export function stringsFor(lang: string | null | undefined): Strings {
  const key = (lang ?? '').toLowerCase();
  const table = tables[key] ?? tables[key.split('-')[0] ?? ''] ?? {};
  return { ...en, ...table };
}

/** Locales with a table. */
export const locales = (): string[] => Object.keys(tables);
