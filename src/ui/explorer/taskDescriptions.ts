// What each MAD task is called and what it probes, in words for a classroom.
import type { TaskName } from '../../tasks/types.ts';

interface TaskDescription {
  title: string;
  /** One paragraph: what the model must do and which capability that tests. */
  probes: string;
  /** How training targets differ from test targets for this task. */
  trainingNote: string;
}

const RECALL_TRAINING_NOTE =
  'Training scores every next token: keys, first-time values and noise included. ' +
  'The test scores only values whose key appeared earlier in the sequence.';
const SAME_FORMAT_NOTE = 'Training instances have exactly the same targets as test instances.';

export const TASK_DESCRIPTIONS: Record<TaskName, TaskDescription> = {
  'in-context-recall': {
    title: 'In-context recall',
    probes:
      'The sequence is a list of key–value pairs. Within one sequence a key always comes with the same ' +
      'value, but the pairing is drawn anew for every sequence. Whenever a key shows up again, the model ' +
      'must predict the value that followed it earlier. The answer is only in the context, so this ' +
      'probes associative recall: can the layer store pairs it has just seen and look them up?',
    trainingNote: RECALL_TRAINING_NOTE,
  },
  'noisy-in-context-recall': {
    title: 'Noisy in-context recall',
    probes:
      'The same associative recall of key–value pairs, but some pair slots are filled with noise tokens ' +
      'from a separate noise vocabulary. The noise is never scored at test time. The model has to keep ' +
      'the pairs it will need and ignore the distractors in between; the noise setting is the chance ' +
      'that a slot holds noise instead of a pair.',
    trainingNote: RECALL_TRAINING_NOTE,
  },
  'fuzzy-in-context-recall': {
    title: 'Fuzzy in-context recall',
    probes:
      'Recall where keys and values are motifs of several tokens (up to three each). The model must ' +
      'recognise a multi-token key it has seen earlier and reproduce the multi-token value that ' +
      'followed it. Sequences are padded on the left. Test keys always have full length, so usually ' +
      'only the final query is scored.',
    trainingNote:
      'Training scores every next token, and training keys have 1 to 3 tokens, so the training ' +
      'instance is a different sequence from the test instance.',
  },
  memorization: {
    title: 'Memorization',
    probes:
      'A fixed table of facts: each key maps to the same value in every sequence, in training and test ' +
      'alike. Every key is followed by an insert token, where the model must output that key’s value. ' +
      'Nothing in the context gives the answer away, so the table has to be stored in the model’s ' +
      'parameters. This probes how many facts a layer can memorise.',
    trainingNote: SAME_FORMAT_NOTE,
  },
  compression: {
    title: 'Compression',
    probes:
      'A random sequence ends with a compress token. The model must reconstruct the whole sequence ' +
      'from the representation at that final position alone (an encoder and a decoder with a ' +
      'one-token bottleneck). This probes how much information a layer can pack into a single ' +
      'token’s state.',
    trainingNote: SAME_FORMAT_NOTE,
  },
  'selective-copying': {
    title: 'Selective copying',
    probes:
      'Data tokens are scattered among blank filler tokens. After the copy token, the model must output ' +
      'the data tokens in their original order, skipping the blanks. This probes selective memory: ' +
      'keeping the tokens that matter, in order, while filtering out the filler.',
    trainingNote: SAME_FORMAT_NOTE,
  },
};
