import { useState, type ReactNode } from 'react';
import { Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useT } from '../i18n';
import { Button } from './ui';

/** A confirmation in a modal dialog (focus kept inside, Escape closes). */
export function ConfirmDialog({
  triggerLabel,
  title,
  children,
  confirmLabel,
  onConfirm,
  variant = 'primary',
  isDisabled,
}: {
  triggerLabel: string;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  variant?: 'primary' | 'danger';
  isDisabled?: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <DialogTrigger isOpen={open} onOpenChange={setOpen}>
      <Button variant={variant === 'danger' ? 'danger' : 'primary'} isDisabled={isDisabled}>
        {triggerLabel}
      </Button>
      <ModalOverlay className="modal-overlay" isOpen={open} onOpenChange={setOpen} isDismissable>
        <Modal className="modal">
          <Dialog aria-label={title} className="stack" style={{ outline: 'none' }}>
            <Heading slot="title">{title}</Heading>
            {children}
            <div className="row">
              <Button
                variant={variant}
                onPress={() => {
                  setOpen(false);
                  onConfirm();
                }}
              >
                {confirmLabel}
              </Button>
              <Button variant="secondary" onPress={() => setOpen(false)}>
                {t.app.cancel}
              </Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
