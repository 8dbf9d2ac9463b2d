'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { BankQuestion } from './types';

const QuizBankContext = createContext<{ bank: BankQuestion[]; bankHref: string }>({ bank: [], bankHref: '' });

/** The course's question bank for the quiz form (given once by the outline page). */
export function QuizBankProvider({ bank, bankHref, children }: { bank: BankQuestion[]; bankHref: string; children: ReactNode }) {
  return <QuizBankContext.Provider value={{ bank, bankHref }}>{children}</QuizBankContext.Provider>;
}

export function useQuizBank() {
  return useContext(QuizBankContext);
}
